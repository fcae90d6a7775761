using BenchmarkDotNet.Running;

namespace Guichet.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Guichet.Benchmarks -- --filter '*'</c>;
/// results are recorded in docs/benchmarks.md with the machine, date and commit.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
