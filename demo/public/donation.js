// Keeps the donate button's amount in step with the field; the signer enforces the bounds.
const field = document.getElementById('donation-amount')
const button = document.getElementById('donate')
if (field && button) {
  field.addEventListener('input', () => {
    button.setAttribute('amount', field.value.trim())
  })
}
