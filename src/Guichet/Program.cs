using Guichet.Cli;

return await GuichetCommandLine.Create().Parse(args).InvokeAsync();
