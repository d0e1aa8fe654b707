using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Purchases;

/// <summary>
/// One line of a purchase as the store reported it: what was bought, how many, at what unit price. Kept with the
/// purchase (a JSON column) for the history, POS tiles and later rules; earning is computed on the purchase's amount.
/// </summary>
public sealed class PurchaseLine
{
    public string? ProductId { get; set; }
    public string? VariantId { get; set; }
    public string? Sku { get; set; }
    public string? Name { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

/// <summary>A line of <see cref="RecordPurchaseInput"/>.</summary>
public sealed record PurchaseLineInput(string? ProductId, string? VariantId, string? Sku, string? Name, int Quantity, decimal UnitPrice);

/// <summary>A line as data (purchase views and payloads).</summary>
public sealed record PurchaseLineView(string? ProductId, string? VariantId, string? Sku, string? Name, int Quantity, decimal UnitPrice)
{
    public decimal Total => Quantity * UnitPrice;

    public static PurchaseLineView Of(PurchaseLine l) => new(l.ProductId, l.VariantId, l.Sku, l.Name, l.Quantity, l.UnitPrice);
}

/// <summary>The shape rules of purchase lines (pure).</summary>
public static class PurchaseLineRules
{
    public const int MaxLines = 250;
    public const int MaxQuantity = 100_000;
    public const int MaxTextLength = 200;
    public const decimal MaxUnitPrice = 1_000_000_000m;

    /// <summary>
    /// Checks every line and returns them trimmed; INVALID_INPUT names the line and field (<c>lines[2].quantity</c>).
    /// A line names what was bought (a product id, a SKU or a name); quantities are 1 to 100 000; unit prices 0 or more
    /// with at most 4 decimals. Lines need not add up to the amount (discounts, shipping and tax sit between them).
    /// </summary>
    public static List<PurchaseLine> Normalize(IReadOnlyList<PurchaseLineInput>? lines)
    {
        if (lines is null)
            return [];
        if (lines.Count > MaxLines)
            throw new InvalidInputException("lines", $"A purchase has at most {MaxLines} lines.");
        var result = new List<PurchaseLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var field = $"lines[{i}]";
            var line = new PurchaseLine
            {
                ProductId = Text(l.ProductId, $"{field}.productId"),
                VariantId = Text(l.VariantId, $"{field}.variantId"),
                Sku = Text(l.Sku, $"{field}.sku"),
                Name = Text(l.Name, $"{field}.name"),
                Quantity = l.Quantity,
                UnitPrice = l.UnitPrice,
            };
            if (line.ProductId is null && line.Sku is null && line.Name is null)
                throw new InvalidInputException(field, "A line names what was bought: a product id, a SKU or a name.");
            if (l.Quantity is < 1 or > MaxQuantity)
                throw new InvalidInputException($"{field}.quantity", $"The quantity must be between 1 and {MaxQuantity}.");
            if (l.UnitPrice < 0 || l.UnitPrice > MaxUnitPrice || decimal.Round(l.UnitPrice, 4) != l.UnitPrice)
                throw new InvalidInputException($"{field}.unitPrice", $"The unit price must be between 0 and {MaxUnitPrice}, with at most 4 decimals.");
            result.Add(line);
        }
        return result;
    }

    private static string? Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var trimmed = value.Trim();
        return trimmed.Length > MaxTextLength
            ? throw new InvalidInputException(field, $"At most {MaxTextLength} characters.")
            : trimmed;
    }
}
