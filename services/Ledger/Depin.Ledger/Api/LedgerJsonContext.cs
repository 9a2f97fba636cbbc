using System.Text.Json;
using System.Text.Json.Serialization;
using Depin.Contracts.Ledger;

namespace Depin.Ledger.Api;

/// <summary>Source-generated JSON for the hot REST path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SubmitTransactionsRequest))]
[JsonSerializable(typeof(SubmitTransactionsResponse))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
