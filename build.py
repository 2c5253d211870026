#!/usr/bin/env python3
"""Build the portal: `python build.py --help` lists the commands."""
import sys

from site_generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
