namespace Depin.Chain;
