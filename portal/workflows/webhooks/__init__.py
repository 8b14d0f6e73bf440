"""Webhooks: endpoints admins register, the signature every delivery carries, the delivery log, redelivery."""
