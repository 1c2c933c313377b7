"""HTML views for rotations, split by audience. Each view: parse → one service/selector → render."""
