"""`python -m bench` (`make bench`, `SIZE=L make bench`): see docs/benchmarks.md."""

from bench.run import main

raise SystemExit(main())
