import logging
import logging.handlers
import os

os.makedirs("logs", exist_ok=True)
handler = logging.handlers.RotatingFileHandler("logs/app.log", maxBytes=20_000_000, backupCount=10)
handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(message)s"))
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.INFO)
