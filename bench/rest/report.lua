-- wrk's done() hook for bench/rest/run.sh: one line, "WRK_JSON {...}", after wrk's own
-- report, with what the table needs. Latencies in microseconds, as wrk keeps them.
--
-- Only done() is defined: a request() or response() function would make wrk build or parse
-- every request in Lua, which costs the client CPU that the server under test is sharing.
--
-- errors.status counts answers with a status above 399 (wrk's "Non-2xx or 3xx"); connect
-- counts failed connects, including wrk's reconnects after a server closed a connection
-- (Patroni closes every one); read and write count broken connections; timeout counts
-- requests unanswered after wrk's --timeout, which are left out of the latencies.

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function p(q)
    return latency:percentile(q)
  end
  io.write(string.format(
    'WRK_JSON {"duration_s": %.3f, "requests": %d, "bytes": %d, "rps": %.1f, ' ..
      '"lat_min_us": %.0f, "lat_mean_us": %.1f, "lat_stdev_us": %.1f, ' ..
      '"lat_p50_us": %.0f, "lat_p90_us": %.0f, "lat_p99_us": %.0f, "lat_p999_us": %.0f, ' ..
      '"lat_max_us": %.0f, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
      '"errors_status": %d, "errors_timeout": %d}\n',
    seconds, summary.requests, summary.bytes, summary.requests / seconds,
    latency.min, latency.mean, latency.stdev,
    p(50), p(90), p(99), p(99.9), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
