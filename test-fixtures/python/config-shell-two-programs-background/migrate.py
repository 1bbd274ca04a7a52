from common import setup

setup("migrate").info("migrated")
