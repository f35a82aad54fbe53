"""aseanwp: the ASEAN Work Plan 2009-2015 as data, its Country Reports validated, progress measured."""

__version__ = "0.1.0"
