using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(KvDirectory.Raft.Benchmarks.ProposalThroughputBenchmarks).Assembly).Run(args);
