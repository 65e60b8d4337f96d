using System.Globalization;
using KvDirectory.Client;
using KvDirectory.Client.Recipes;

// A contender process for the recipes' multi-process tests. It reports what it does on stdout, one line per fact,
// with a wall-clock timestamp in milliseconds (all processes run on one machine, so their clocks agree):
//   lock  <endpoints> <dir> <ttl s> <contenders> <iterations> <counter file> <token log>   → ACQUIRED <token> <ms> … DONE
//   hold  <endpoints> <dir> <ttl s>                                                      → ACQUIRED <token> <ms>, LOST <ms>
//   elect <endpoints> <key> <id> <ttl s>                                                 → LEADER <id> <ms>, LOSTLEAD <id> <ms>
var endpoints = args[1].Split(',').Select(e => new Uri(e)).ToList();
using var client = new EtcdClient(new EtcdClientOptions { Endpoints = endpoints, RequestTimeout = TimeSpan.FromSeconds(5) });
var ttl = TimeSpan.FromSeconds(int.Parse(args[args[0] == "elect" ? 4 : 3], CultureInfo.InvariantCulture));
var output = TextWriter.Synchronized(Console.Out);

switch (args[0])
{
    case "lock":
        {
            var contenders = int.Parse(args[4], CultureInfo.InvariantCulture);
            var iterations = int.Parse(args[5], CultureInfo.InvariantCulture);
            var counterFile = args[6];
            var tokenLog = args[7];
            var distributedLock = new DistributedLock(client, args[2], ttl);
            await Task.WhenAll(Enumerable.Range(0, contenders).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < iterations; i++)
                {
                    await using var lease = await distributedLock.AcquireAsync();
                    Say($"ACQUIRED {lease.FencingToken}");
                    // Read, pause, write: without mutual exclusion, concurrent holders lose increments.
                    var value = File.Exists(counterFile) ? int.Parse(File.ReadAllText(counterFile), CultureInfo.InvariantCulture) : 0;
                    await Task.Delay(2);
                    File.WriteAllText(counterFile, (value + 1).ToString(CultureInfo.InvariantCulture));
                    File.AppendAllText(tokenLog, lease.FencingToken.ToString(CultureInfo.InvariantCulture) + "\n");
                }
            })));
            Say("DONE");
            break;
        }

    case "hold":
        {
            var lease = await new DistributedLock(client, args[2], ttl).AcquireAsync();
            Say($"ACQUIRED {lease.FencingToken}");
            await Task.Delay(Timeout.Infinite, lease.Lost).ContinueWith(_ => { }, TaskScheduler.Default);
            Say("LOST");
            await Task.Delay(Timeout.Infinite);
            break;
        }

    case "elect":
        {
            var election = new LeaderElection(client, args[2], args[3], ttl);
            while (true)
            {
                var leadership = await election.CampaignAsync();
                Say($"LEADER {args[3]}");
                await Task.Delay(Timeout.Infinite, leadership.Lost).ContinueWith(_ => { }, TaskScheduler.Default);
                Say($"LOSTLEAD {args[3]}");
                await leadership.DisposeAsync();
            }
        }

    default:
        throw new ArgumentException("mode: lock | hold | elect");
}

void Say(string line)
{
    output.WriteLine($"{line} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
    output.Flush();
}
