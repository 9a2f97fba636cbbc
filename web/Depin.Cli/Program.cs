using Depin.Cli;

return await Commands.Build().Parse(args).InvokeAsync();
