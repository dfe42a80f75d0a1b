"""The words of the hand-out sheet, in Vietnamese (the default) and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SheetText:
    title: str
    group: str
    server: str
    scan: str
    username: str
    temporary_label: str
    handed_over: str
    change_note: str
    steps_title: str
    steps: tuple[str, ...]
    trouble_title: str
    trouble: tuple[str, ...]


TEXTS = {
    "vi": SheetText(
        title="Đăng nhập DHIS2 Capture trên điện thoại",
        group="Nhóm",
        server="Địa chỉ máy chủ",
        scan="Quét mã này trong ứng dụng để điền địa chỉ máy chủ",
        username="Tên đăng nhập",
        temporary_label="Mật khẩu tạm thời",
        handed_over="Quản trị viên trao mật khẩu tận tay, không ghi trên tờ này.",
        change_note="Đổi mật khẩu ngay sau lần đăng nhập đầu tiên, không cho ai biết.",
        steps_title="Lần đầu đăng nhập",
        steps=(
            "Cài ứng dụng DHIS2 Capture từ Google Play.",
            "Mở ứng dụng, chạm biểu tượng mã QR cạnh ô địa chỉ máy chủ và quét mã bên trên "
            "(hoặc gõ đúng địa chỉ).",
            "Nhập tên đăng nhập và mật khẩu, chạm Đăng nhập.",
            "Đợi đồng bộ lần đầu xong (cần mạng, có thể mất vài phút); đặt mã PIN nếu được hỏi.",
            "Kiểm tra: thấy chương trình của nhóm và danh sách thành viên của nhóm mình.",
        ),
        trouble_title="Khi đồng bộ không được",
        trouble=(
            "Kiểm tra Wi-Fi hoặc 4G rồi chạm Đồng bộ lại.",
            "Báo sai tên đăng nhập hoặc mật khẩu: liên hệ quản trị viên, không thử lại nhiều lần (tài khoản có "
            "thể bị khoá).",
            "Không thấy chương trình hoặc thành viên: báo quản trị viên tên đăng nhập của bạn để kiểm tra.",
            "Không gỡ ứng dụng, không xoá dữ liệu khi còn bản ghi chưa đồng bộ.",
        ),
    ),
    "en": SheetText(
        title="Signing in to DHIS2 Capture on the phone",
        group="Group",
        server="Server address",
        scan="Scan this code in the app to fill in the server address",
        username="Username",
        temporary_label="Temporary password",
        handed_over="The administrator hands the password over in person; it is not on this sheet.",
        change_note="Change the password right after the first sign-in and keep it to yourself.",
        steps_title="First sign-in",
        steps=(
            "Install the DHIS2 Capture app from Google Play.",
            "Open the app, tap the QR code icon beside the server address field and scan the code above "
            "(or type the address exactly).",
            "Enter the username and password, tap Log in.",
            "Wait for the first sync to finish (needs the network, may take a few minutes); set a PIN if asked.",
            "Check: you see your group's programs and your group's members.",
        ),
        trouble_title="When sync fails",
        trouble=(
            "Check Wi-Fi or mobile data, then tap Sync again.",
            "Wrong username or password: call the administrator instead of trying again and again (the account "
            "may lock).",
            "Programs or members missing: give the administrator your username so they can check it.",
            "Do not uninstall the app or clear its data while records are not synced.",
        ),
    ),
}
