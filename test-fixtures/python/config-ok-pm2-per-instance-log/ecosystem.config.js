// Four copies of the worker; each writes the log file of its own PM2 instance number.
module.exports = {
  apps: [
    {
      name: 'indexer',
      script: 'indexer.py',
      interpreter: 'python3',
      instances: 4,
    },
  ],
};
