using KvDirectory.Transport.Tls;

namespace KvDirectory.Transport.Tests;

/// <summary>The reload rule behind certificate rotation, on plain text files and a clock the test moves.</summary>
public sealed class WatchedFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watched-{Guid.NewGuid():N}");
    private readonly TickClock _clock = new();
    private readonly List<Exception> _failures = [];

    public WatchedFilesTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void A_changed_file_is_loaded_again_once_the_recheck_interval_has_passed()
    {
        var file = Write("a.txt", "one");
        var watched = Watch(file);

        File.WriteAllText(file, "two, longer");
        watched.Current.Should().Be("one", "within the interval the file is not looked at");
        _clock.Advance(WatchedFiles<string>.RecheckInterval);
        watched.Current.Should().Be("two, longer");
    }

    [Fact]
    public void A_reload_that_fails_keeps_the_last_good_value_and_is_tried_again()
    {
        var file = Write("a.txt", "good");
        var watched = Watch(file);

        File.WriteAllText(file, "bad: half written");
        _clock.Advance(WatchedFiles<string>.RecheckInterval);
        watched.Current.Should().Be("good");
        _failures.Should().ContainSingle();

        File.WriteAllText(file, "fixed");
        _clock.Advance(WatchedFiles<string>.RecheckInterval);
        watched.Current.Should().Be("fixed");
    }

    [Fact]
    public void A_missing_file_fails_at_construction()
    {
        var missing = Path.Combine(_directory, "none.txt");
        var create = () => Watch(missing);
        create.Should().Throw<FileNotFoundException>();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private WatchedFiles<string> Watch(string path) =>
        new([path], () => File.ReadAllText(path) is var text && text.StartsWith("bad", StringComparison.Ordinal) ? throw new IOException(text) : text, _failures.Add, _clock);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Monotonic timestamps that move only when the test says so.</summary>
    private sealed class TickClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
