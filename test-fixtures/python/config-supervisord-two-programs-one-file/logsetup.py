import logging

file_handler = logging.FileHandler("/var/log/app/app.log")  # expect: LF002 warning
file_handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
root = logging.getLogger()
root.addHandler(file_handler)
root.setLevel(logging.INFO)
