"""Local chapters: their records and coordinators (who are not administrators), the pairs that keep each
chapter informed, the pairs' health, and the quarterly progress report each chapter's coordinators receive."""
