namespace SecForge.Models.Specs;

/// <summary>A model reference resolved to its spec and settings.</summary>
/// <param name="Name">What the user called it: a secforge.yaml name or the spec text.</param>
/// <param name="Spec">The parsed spec.</param>
/// <param name="Definition">Request defaults and backend settings.</param>
public sealed record ResolvedModel(string Name, ModelSpec Spec, ModelDefinition Definition);
