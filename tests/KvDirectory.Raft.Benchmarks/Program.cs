Console.WriteLine("Raft benchmark: not written yet");
