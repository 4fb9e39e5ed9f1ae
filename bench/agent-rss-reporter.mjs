// Preloaded into the measured agent process: reports its peak RSS when it exits.
process.on("exit", () => {
  process.stderr.write(`${JSON.stringify({ benchMaxRssKb: process.resourceUsage().maxRSS })}\n`);
});
