// Every test class here runs whole platform processes (each with its own PostgreSQL); on a 2-core machine they run one
// class at a time, so that timing assertions (Ctrl+C within 10 s) measure the platform, not the neighbours.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
