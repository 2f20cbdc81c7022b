module.exports = {
  istanbulReporter: ["text", "json-summary", "html"],
  mocha: { timeout: 300000 },
};
