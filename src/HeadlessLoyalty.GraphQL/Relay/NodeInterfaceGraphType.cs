using GraphQL.Types;

namespace HeadlessLoyalty.GraphQL.Relay;

/// <summary>
/// <c>interface Node { id: ID! }</c>. Implementing object types add <c>Interface&lt;NodeInterfaceGraphType&gt;()</c>,
/// an <c>id</c> field returning <see cref="GlobalId.Encode"/>, and <c>IsTypeOf</c> so the executor can tell which
/// object a <c>node</c> result is.
/// </summary>
public sealed class NodeInterfaceGraphType : InterfaceGraphType
{
    public NodeInterfaceGraphType()
    {
        Name = "Node";
        Description = "An object with a globally unique, opaque id.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the object.");
    }
}
