import logsetup

log = logsetup.init("worker")
log.info("worker up")
