#!/usr/bin/env python
"""Django's command-line utility for Brobygget."""

from brobygget.__main__ import main

if __name__ == "__main__":
    main()
