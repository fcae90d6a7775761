using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Guichet.Audit.Benchmarks.LedgerAppendBenchmarks).Assembly).Run(args);
