import logsetup

log = logsetup.init("api")
log.info("api up")
