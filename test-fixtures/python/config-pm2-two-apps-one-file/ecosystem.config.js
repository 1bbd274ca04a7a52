// Both apps run at once under `pm2 start ecosystem.config.js`, one process each.
module.exports = {
  apps: [
    { name: 'api', script: 'api.py', interpreter: '/srv/shop/venv/bin/python' },
    { name: 'mailer', script: 'mailer.py', interpreter: '/srv/shop/venv/bin/python' },
    // A Node front end: not Python, adds no writer.
    { name: 'frontend', script: 'server.js', instances: 2, exec_mode: 'cluster' },
  ],
};
