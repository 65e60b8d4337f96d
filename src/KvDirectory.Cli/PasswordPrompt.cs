using System.Text;

namespace KvDirectory.Cli;

/// <summary>Reads a password without echo from the terminal; with redirected input, reads one line (scripts pipe it in).</summary>
public static class PasswordPrompt
{
    public static string Ask(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? string.Empty;
        }

        Console.Error.Write(prompt);
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            password.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return password.ToString();
    }
}
