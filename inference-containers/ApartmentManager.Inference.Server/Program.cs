using ApartmentManager.Inference.Server;

// Listens where ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS say (8080 in the container images).
var app = InferenceServerApp.Build(args);
await app.RunAsync();
