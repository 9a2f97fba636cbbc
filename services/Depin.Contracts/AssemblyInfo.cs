namespace Depin.Contracts;
