// pm2 start ecosystem.config.js: four copies of the queue worker.
module.exports = {
  apps: [
    {
      name: 'queue-worker',
      script: 'worker.py',
      interpreter: 'python3',
      instances: 4,
      exec_mode: 'fork',
      autorestart: true,
      env: {
        PYTHONUNBUFFERED: '1',
      },
    },
  ],
};
