package nats

import "flag"

// StreamFlags adds the stream settings that serve and every worker must
// share to fs, as --replicas, --max-pending and --partitions, and returns
// the configuration they fill in when fs is parsed.
func StreamFlags(fs *flag.FlagSet) *Config {
	c := &Config{}
	fs.IntVar(&c.Replicas, "replicas", 1, "how many NATS nodes keep each stream (3 on a cluster, so that one node may fail)")
	fs.Int64Var(&c.MaxMsgs, "max-pending", DefaultMaxMsgs, "most comments waiting for a worker; past it the API answers 503")
	fs.IntVar(&c.Partitions, "partitions", DefaultPartitions, "comment subjects, by post; the same for serve and every worker")
	return c
}
