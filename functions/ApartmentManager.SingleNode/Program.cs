using ApartmentManager.SingleNode;

// `token --sub <id> --role <resident|admin>` prints a development token; anything else runs the host.
if (args is ["token", ..])
{
    return TokenCommand.Run(args[1..]);
}

// `learn [run | list | activate <version> | export <file>]` runs the learning engine on the host's data and exits.
if (args is ["learn", ..])
{
    return await LearnCommand.RunAsync(args[1..]);
}

var app = SingleNodeApp.Build(args);
await app.RunAsync();
return 0;
