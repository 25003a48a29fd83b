using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using StoreProvisioning.Functions.Hosting;
using StoreProvisioning.Functions.Identity;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseStoreProvisioningMiddleware();
builder.Services.AddStoreProvisioning(builder.Configuration);
builder.Build().Run();
