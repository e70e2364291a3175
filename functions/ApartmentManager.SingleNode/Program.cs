using ApartmentManager.SingleNode;

// `token --sub <id> --role <resident|admin>` prints a development token; anything else runs the host.
if (args is ["token", ..])
{
    return TokenCommand.Run(args[1..]);
}

var app = SingleNodeApp.Build(args);
await app.RunAsync();
return 0;
