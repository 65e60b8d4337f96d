using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet tests/KvDirectory.Benchmarks.Micro/bin/Release/net10.0/KvDirectory.Benchmarks.Micro.dll --filter '*'
// In process and short: BenchmarkDotNet's default would generate and build a copy of the project per run, minutes on a
// busy 2-core machine; the figures this is for (allocations per operation) are exact either way.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(KvDirectory.Benchmarks.Micro.HotPathBenchmarks).Assembly).Run(args, config);
