"""`make bench`: run every benchmark and print one table of figures against their limits."""

from bench import balance

if __name__ == "__main__":
    balance.print_table(balance.run())
