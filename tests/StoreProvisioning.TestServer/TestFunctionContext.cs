using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace StoreProvisioning.TestServer;

/// <summary>
/// A real <see cref="FunctionContext"/> for one HTTP invocation, so the app's worker middleware runs here as it does
/// in the Functions worker: the definition names the function and its httpTrigger binding, and the HttpContext sits
/// in <see cref="Items"/> under the key the ASP.NET Core integration uses (what GetHttpContext() reads).
/// </summary>
public sealed class TestFunctionContext : FunctionContext
{
    /// <summary>The Items key of Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore (its Constants.HttpContextKey).</summary>
    public const string HttpContextKey = "HttpRequestContext";

    public TestFunctionContext(HttpFunction function, HttpContext http)
    {
        FunctionDefinition = new Definition(function);
        InstanceServices = http.RequestServices;
        CancellationToken = http.RequestAborted;
        Items = new Dictionary<object, object> { [HttpContextKey] = http };
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext { get; } = new Trace();

    public override BindingContext BindingContext { get; } = new Bindings();

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; }

    public override IInvocationFeatures Features { get; } = new InvocationFeatures();

    public override CancellationToken CancellationToken { get; }

    private sealed class Definition(HttpFunction function) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters { get; } =
            [.. function.Method.GetParameters().Select(p => new FunctionParameter(p.Name!, p.ParameterType))];

        public override string PathToAssembly => function.Type.Assembly.Location;

        public override string EntryPoint => $"{function.Type.FullName}.{function.Method.Name}";

        public override string Id => function.Name;

        public override string Name => function.Name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } =
            ImmutableDictionary<string, BindingMetadata>.Empty.Add("req", new Binding("req", "httpTrigger", BindingDirection.In));

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; } =
            ImmutableDictionary<string, BindingMetadata>.Empty.Add("$return", new Binding("$return", "http", BindingDirection.Out));
    }

    private sealed class Binding(string name, string type, BindingDirection direction) : BindingMetadata
    {
        public override string Name => name;

        public override string Type => type;

        public override BindingDirection Direction => direction;
    }

    private sealed class Trace : TraceContext
    {
        public override string TraceParent => string.Empty;

        public override string TraceState => string.Empty;
    }

    private sealed class Bindings : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = new Dictionary<string, object?>();
    }

    private sealed class InvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> features = [];

        public T? Get<T>() => features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance)
        {
            if (instance is null)
            {
                features.Remove(typeof(T));
            }
            else
            {
                features[typeof(T)] = instance;
            }
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => features.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
