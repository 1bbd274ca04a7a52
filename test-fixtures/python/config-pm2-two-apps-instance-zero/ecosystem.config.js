// One notifier per channel, one process each: `pm2 start ecosystem.config.js`.
module.exports = {
  apps: [
    { name: "email", script: "notify.py", args: "--channel email", interpreter: "python3" },
    { name: "sms", script: "notify.py", args: "--channel sms", interpreter: "python3" },
  ],
};
