Console.WriteLine("HTTP load benchmark: not written yet");
