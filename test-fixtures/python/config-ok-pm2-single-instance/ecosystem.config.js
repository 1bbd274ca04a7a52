// One copy of the worker (instances: 1); the other app is Node and writes no Python log.
module.exports = {
  apps: [
    {
      name: 'worker',
      script: './worker.py',
      instances: 1,
    },
    {
      name: 'web',
      script: 'server.js',
      instances: 'max',
      exec_mode: 'cluster',
    },
  ],
};
