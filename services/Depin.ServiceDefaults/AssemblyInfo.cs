namespace Depin.ServiceDefaults;
