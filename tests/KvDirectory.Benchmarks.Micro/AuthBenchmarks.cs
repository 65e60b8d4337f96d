using BenchmarkDotNet.Attributes;
using KvDirectory.Server.Auth;

namespace KvDirectory.Benchmarks.Micro;

/// <summary>
/// What a signed-in request pays before the keys endpoint runs (issue 14): reading its HTTP Basic header and checking
/// the password against the user's bcrypt hash, which after the first request is answered from the verifier's cache.
/// </summary>
[MemoryDiagnoser]
public class AuthBenchmarks
{
    private const string Header = "Basic YmVuY2g6YmVuY2gtdXNlci1wYXNzd29yZA=="; // bench:bench-user-password

    private readonly PasswordVerifier _passwords = new();
    private string _hash = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hash = PasswordVerifier.Hash("bench-user-password");
        _passwords.Verify("bench", _hash, "bench-user-password");
    }

    [Benchmark]
    public bool ParseBasic() => AuthGate.TryParseBasic(Header, out _, out _);

    /// <summary>A repeated request's check: the remembered answer, no bcrypt.</summary>
    [Benchmark]
    public bool VerifyCached() => _passwords.Verify("bench", _hash, "bench-user-password");
}
