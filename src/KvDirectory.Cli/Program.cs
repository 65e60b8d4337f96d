using KvDirectory.Cli;

return await KvctlApplication.RunAsync(args);
