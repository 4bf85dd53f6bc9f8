// A dialog with one form that sends one request: opening clears the last error, Cancel closes,
// and Save closes on success or shows the refusal in the dialog, so the user can try again.
// The rename and password dialogs are both this.

/**
 * @param dialog the <dialog>, holding one <form>
 * @param opener the button that opens it
 * @param cancel the dialog's Cancel button
 * @param error where a refusal is shown (a role="alert" element)
 * @param reset fills the fields on opening
 * @param submit sends the request; a rejection is shown with describe(error)
 */
export function formDialog({ dialog, opener, cancel, error, reset, submit, describe }) {
  opener.addEventListener('click', () => {
    reset();
    error.hidden = true;
    dialog.showModal();
  });
  cancel.addEventListener('click', () => dialog.close());
  dialog.querySelector('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await submit();
      dialog.close();
    } catch (refusal) {
      error.textContent = describe(refusal);
      error.hidden = false;
    }
  });
}
