using BenchmarkDotNet.Running;

namespace Guichet.Benchmarks;

/// <summary>
/// Micro benchmarks of the privacy kernel (Privacy/), the audit ledger (Audit/) and the queue's
/// calling rule (Queueing/):
/// <c>dotnet run -c Release --project bench/Guichet.Benchmarks -- --filter '*' --inProcess</c>.
/// Results are recorded in docs/benchmarks.md with the machine, date and commit.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
