rca --data times_epoch.csv --baseline @1704067200:1704067270 --incident @1704067280:1704067310 --method nsigma --top 2
rca --data times_epoch_ms.csv --baseline @1704067200:1704067270 --incident @1704067280:1704067310 --method nsigma --top 2
rca --data times_rfc3339.csv --baseline @1704067200:1704067270 --incident @1704067280:1704067310 --method nsigma --top 2
rca --data times_nab.csv --baseline @1704067200:1704067270 --incident @1704067280:1704067310 --method nsigma --top 2
rca --data times_bad.csv --baseline 0:1 --incident 1:2
