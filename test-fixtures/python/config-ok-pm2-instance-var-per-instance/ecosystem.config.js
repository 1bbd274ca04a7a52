// Three ingesters; PM2 numbers them in INSTANCE_ID (instance_var) instead of NODE_APP_INSTANCE.
module.exports = {
  apps: [
    {
      name: "ingest",
      script: "ingest.py",
      interpreter: "python3",
      instances: 3,
      instance_var: "INSTANCE_ID",
    },
  ],
};
