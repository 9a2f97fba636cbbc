namespace Depin.Ledger;
