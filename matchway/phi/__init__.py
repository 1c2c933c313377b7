"""Detector for protected health information (HIPAA Safe Harbor identifiers) in free text."""

from .detector import KINDS, Finding, find_phi

__all__ = ["KINDS", "Finding", "find_phi"]
