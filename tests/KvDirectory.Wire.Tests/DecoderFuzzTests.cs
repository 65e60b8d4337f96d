using System.Diagnostics;
using KvDirectory.Storage;

namespace KvDirectory.Wire.Tests;

/// <summary>
/// Seeded fuzzing of every binary decoder: random bytes, and valid encodings flipped, cut, extended, spliced or given
/// huge length fields, may only raise the format's own <see cref="WireFormatException"/> (the WAL: its
/// <see cref="WalCorruptedException"/>) — never an index, range, overflow, argument or out-of-memory error that would
/// take a member down on a damaged entry, snapshot or a hostile peer — and never hang or allocate far beyond the input.
/// Each case has its own seed, printed on failure; KVDIR_FUZZ_SEED and KVDIR_FUZZ_CASES run other and more seeds.
/// </summary>
public sealed class DecoderFuzzTests
{
    private static readonly int BaseSeed = int.TryParse(Environment.GetEnvironmentVariable("KVDIR_FUZZ_SEED"), out var seed) ? seed : 1;
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("KVDIR_FUZZ_CASES"), out var cases) ? cases : 2_000;

    /// <summary>Generous: a decoder stuck in a loop takes forever, a busy machine only some milliseconds.</summary>
    private static readonly TimeSpan CaseBudget = TimeSpan.FromSeconds(5);

    public static TheoryData<string> Names => [.. GoldenSamples.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Damaged_bytes_raise_only_the_format_error(string name)
    {
        var sample = GoldenSamples.All.Single(s => s.Name == name);
        var valid = sample.Encode();
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            var bytes = Damage(valid, new Random(caseSeed));
            Check(name, caseSeed, bytes, () => sample.Decode(bytes),
                error => error is WireFormatException || (name == "peer frame" && error is EndOfStreamException));
        }
    }

    [Fact]
    public void A_damaged_write_ahead_log_is_repaired_or_refused_with_its_own_error()
    {
        var golden = Path.Combine(AppContext.BaseDirectory, "Golden", "wal");
        var segments = Directory.GetFiles(golden, "*.wal").Order(StringComparer.Ordinal).ToArray();
        var options = new WalOptions { SegmentSizeBytes = 4096, Preallocate = false, MaxRetainedSegments = 0 };
        for (var i = 0; i < Math.Max(Cases / 10, 50); i++)
        {
            var caseSeed = BaseSeed + i;
            var random = new Random(caseSeed);
            var dir = Directory.CreateTempSubdirectory("kvdir-walfuzz-").FullName;
            try
            {
                var victim = random.Next(segments.Length);
                for (var s = 0; s < segments.Length; s++)
                {
                    var bytes = File.ReadAllBytes(segments[s]);
                    File.WriteAllBytes(Path.Combine(dir, Path.GetFileName(segments[s])), s == victim ? Damage(bytes, random, headerBiased: false) : bytes);
                }

                Check("write-ahead log", caseSeed, File.ReadAllBytes(Path.Combine(dir, Path.GetFileName(segments[victim]))), () =>
                {
                    var (log, _) = WriteAheadLog.Open(dir, options);
                    log.Dispose();
                    return log;
                }, error => error is WalCorruptedException);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static void Check(string format, int caseSeed, byte[] bytes, Func<object?> decode, Func<Exception, bool> allowed)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            decode();
        }
        catch (Exception error) when (allowed(error))
        {
        }
        catch (Exception error)
        {
            Assert.Fail($"{format}: seed {caseSeed} (replay: KVDIR_FUZZ_SEED={caseSeed} KVDIR_FUZZ_CASES=1), bytes {Convert.ToHexString(bytes)}: " +
                $"{error.GetType().Name}: {error.Message}\n{error.StackTrace}");
        }

        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        // A decoder builds objects from what it reads; far more than the input means a hostile length sized an allocation.
        // (The peer frame reader may take a megabyte up front for a frame that declares more.)
        var allocationLimit = (2L << 20) + (256L * bytes.Length);
        Assert.True(allocated <= allocationLimit,
            $"{format}: seed {caseSeed}: decoding {bytes.Length} bytes allocated {allocated} bytes (limit {allocationLimit}); bytes {Convert.ToHexString(bytes)}");
        Assert.True(clock.Elapsed < CaseBudget, $"{format}: seed {caseSeed}: decoding {bytes.Length} bytes took {clock.Elapsed}; bytes {Convert.ToHexString(bytes)}");
    }

    /// <summary>
    /// Random bytes, or the valid encoding cut short, extended, with bytes flipped, inserted or removed, or with a run
    /// of 0xFF/0x7F/0x80 written over it (a length or count field turned huge or negative, a varint that never ends).
    /// </summary>
    private static byte[] Damage(byte[] valid, Random random, bool headerBiased = true)
    {
        switch (random.Next(6))
        {
            case 0:
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return valid[..random.Next(0, valid.Length)];
            case 2:
                var extra = new byte[random.Next(1, 8)];
                random.NextBytes(extra);
                return [.. valid, .. extra];
            case 3:
                var spliced = valid.ToList();
                for (var edits = random.Next(1, 3); edits > 0 && spliced.Count > 0; edits--)
                {
                    if (random.Next(2) == 0)
                    {
                        spliced.Insert(random.Next(spliced.Count + 1), (byte)random.Next(256));
                    }
                    else
                    {
                        spliced.RemoveAt(random.Next(spliced.Count));
                    }
                }

                return [.. spliced];
            case 4:
                byte[] huge = [.. valid];
                if (huge.Length > 0)
                {
                    // Lengths and counts sit near the front of most records: aim there more often.
                    var at = headerBiased && random.Next(2) == 0 ? random.Next(Math.Min(huge.Length, 24)) : random.Next(huge.Length);
                    var fill = (byte)(random.Next(3) switch { 0 => 0xFF, 1 => 0x7F, _ => 0x80 });
                    for (var j = at; j < Math.Min(huge.Length, at + random.Next(1, 9)); j++)
                    {
                        huge[j] = fill;
                    }
                }

                return huge;
            default:
                byte[] flipped = [.. valid];
                for (var flips = random.Next(1, 4); flips > 0 && flipped.Length > 0; flips--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return flipped;
        }
    }
}
